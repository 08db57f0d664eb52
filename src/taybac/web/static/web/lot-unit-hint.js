/* optional: the chosen variant's unit as the unit field's hint */
(function(){var v=document.querySelector('select[name=variant]'),u=document.querySelector('input[name=unit]');if(!v||!u)return;
function hint(){var o=v.options[v.selectedIndex];u.placeholder=o&&o.dataset.unit||''}v.addEventListener('change',hint);hint()})();
