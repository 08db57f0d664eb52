/* optional: the phone's GPS fills latitude/longitude; without JavaScript the two fields are typed by hand */
(function(){var f=document.getElementById('sender-form'),b=document.getElementById('ghim-vi-tri'),t=document.getElementById('ghim-tt');
if(!f||!b||!navigator.geolocation)return;b.parentNode.hidden=false;
b.addEventListener('click',function(){t.textContent='Đang lấy vị trí…';navigator.geolocation.getCurrentPosition(function(p){
f.elements.latitude.value=p.coords.latitude.toFixed(6);f.elements.longitude.value=p.coords.longitude.toFixed(6);
t.textContent='Đã ghim (±'+Math.round(p.coords.accuracy)+' m). Bấm Lưu để giữ.'},function(){t.textContent='Không lấy được vị trí: bật định vị rồi thử lại, hoặc nhập tay.'},
{enableHighAccuracy:true,timeout:20000,maximumAge:60000})})})();
