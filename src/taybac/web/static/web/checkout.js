/* optional: choosing another province re-prices the cart at once; without it, the "Tính phí" button does */
(function(){var f=document.getElementById('checkout');if(!f)return;var b=f.querySelector('button[name=tinh_phi]');
f.querySelectorAll('[data-requote]').forEach(function(s){s.addEventListener('change',function(){
var x=f.querySelector('select[name=xa]');if(x&&s.name==='tinh')x.value='';if(f.requestSubmit)f.requestSubmit(b);else b.click()})})})();
